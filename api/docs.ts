import express, { Router } from 'express';

/**
 * The interactive reference at /docs: Swagger UI's files come from the npm package and are served
 * by the API itself, so the page works on a network without internet access (no CDN).
 */
export function docsRoutes(): Router {
  const router = Router();
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').send(page);
  });
  router.use('/docs/assets', express.static(swaggerUiFiles(), { index: false, immutable: true, maxAge: '1d' }));
  return router;
}

/** The folder of the package's prebuilt files (the package ships no type declarations). */
function swaggerUiFiles(): string {
  return (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
}

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>suggestion-chain API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.onload = () => {
      window.ui = SwaggerUIBundle({
        url: '/openapi.json',
        dom_id: '#reference',
        deepLinking: true,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        layout: 'StandaloneLayout',
      });
    };
  </script>
</body>
</html>
`;
