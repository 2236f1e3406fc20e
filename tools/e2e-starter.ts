/**
 * The recommended sources of an end-to-end build (STORYLINE_E2E=1, wxt.config.ts): feeds on a
 * loopback server the first-run test starts on this port (tests/e2e/first-run.test.ts), in place of
 * the public outlets' feeds, which a test must not fetch. Headless Chromium cannot answer the
 * permission prompt either: the e2e build is granted http://127.0.0.1/* up front.
 */
export const E2E_STARTER_PORT = 47_631;

export const E2E_STARTER_FEEDS = [
  { title: 'Loopback World', url: `http://127.0.0.1:${E2E_STARTER_PORT}/world.xml` },
  { title: 'Loopback Europe', url: `http://127.0.0.1:${E2E_STARTER_PORT}/europe.xml` },
  { title: 'Loopback Business', url: `http://127.0.0.1:${E2E_STARTER_PORT}/business.xml` },
];
