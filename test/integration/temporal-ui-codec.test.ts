import { startTemporalDevServer } from '../../scripts/provision/temporal-dev-server';

// `npm start` runs the dev server's Web UI against the API's codec endpoint, so staff can read the
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
