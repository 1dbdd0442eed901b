import { startTemporalDevServer } from '../../scripts/provision/temporal-dev-server';

// `npm start` runs the Temporal Web UI against the API's codec endpoint, so staff can read the
// encrypted payloads there and everyone else sees ciphertext (test/api/confidentiality-codec-endpoint).

test("the dev server's Web UI is configured with the API's codec endpoint", async () => {
  const uiCodecEndpoint = 'http://127.0.0.1:3000/codec';
  const server = await startTemporalDevServer({ uiCodecEndpoint });
  try {
    const settings = (await (await fetch(`${server.uiUrl}/api/v1/settings`)).json()) as { Codec: { Endpoint: string; PassAccessToken: boolean } };
    expect(settings.Codec).toMatchObject({ Endpoint: uiCodecEndpoint, PassAccessToken: false });
  } finally {
    await server.stop();
  }
});

test("npm start's own Temporal UI server sends the browser's cookies to the codec endpoint and says where staff sign in", async () => {
  const { startTemporalUiServer } = await import('../../scripts/provision/temporal-ui-server');
  const ui = await startTemporalUiServer({
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    codecEndpoint: 'http://127.0.0.1:3000/codec',
    codecErrorMessage: 'sign in',
    codecErrorLink: 'http://127.0.0.1:3000/staff/sign-in',
  });
  try {
    const settings = (await (await fetch(`${ui.url}/api/v1/settings`)).json()) as { Codec: Record<string, unknown> };
    expect(settings.Codec).toMatchObject({
      Endpoint: 'http://127.0.0.1:3000/codec',
      IncludeCredentials: true,
      PassAccessToken: false,
      DefaultErrorMessage: 'sign in',
      DefaultErrorLink: 'http://127.0.0.1:3000/staff/sign-in',
    });
  } finally {
    await ui.stop();
  }
});
