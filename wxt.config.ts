import { defineConfig } from 'wxt';
import { noInnerHtmlPlugin } from './tools/build/no-inner-html-plugin';
import { seedsPlugin } from './tools/build/seeds-plugin';
import { E2E_STARTER_FEEDS } from './tools/e2e-starter';

// Drawn by tools/make-icons.mjs (`npm run icons`) into src/public/icon/. WXT would find them by
// their names alone; saying so here also gives the toolbar button its own icon in both browsers.
export const ICONS = Object.fromEntries([16, 32, 48, 128].map((size) => [size, `icon/${size}.png`]));
// The toolbar button rests in grey and turns blue on a tab whose page has related stories
// (src/background/toolbar-badge.ts); the extension's own icons stay blue.
export const IDLE_ICONS = Object.fromEntries([16, 32].map((size) => [size, `icon/idle-${size}.png`]));

// https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  publicDir: 'src/public',
  // STORYLINE_OUT builds elsewhere, so a test build never clobbers the one the browser tests load.
  outDir: process.env.STORYLINE_OUT ?? '.output',
  imports: false,
  webExt: { disabled: true },
  // STORYLINE_SEEDS builds from another seed folder (the build-failure test uses a broken one).
  // Preact's dangerouslySetInnerHTML branch is switched off: the bundle assigns no innerHTML, and
  // web-ext lint has nothing to warn about (tools/build/no-inner-html-plugin.ts).
  // An end-to-end build recommends loopback feeds in place of the public ones (tools/e2e-starter.ts).
  vite: () => ({
    plugins: [seedsPlugin(process.env.STORYLINE_SEEDS ?? 'seeds'), noInnerHtmlPlugin()],
    define: process.env.STORYLINE_E2E === '1' ? { STORYLINE_E2E_STARTER_FEEDS: JSON.stringify(E2E_STARTER_FEEDS) } : {},
  }),
  hooks: {
    // WXT writes Firefox's sidebar_action from entrypoints/sidepanel; Firefox would open it by itself
    // at install (open_at_install defaults to true): it opens when the person asks (issue 12).
    'build:manifestGenerated': (_wxt, manifest) => {
      if (manifest.sidebar_action) manifest.sidebar_action.open_at_install = false;
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    icons: ICONS,
    [manifestVersion === 2 ? 'browser_action' : 'action']: { default_icon: IDLE_ICONS },
    // contextMenus: "Find related stories" on a selection or link; sidePanel: Chrome's side panel
    // (Firefox's sidebar_action needs no permission). Issue 12. scripting and activeTab (Chrome, no
    // install warning): the popup puts the content script into a tab opened before install, update
    // or reload (src/background/tab-activation.ts); Firefox runs content scripts in open tabs itself.
    permissions: ['storage', 'alarms', 'contextMenus', ...(browser === 'firefox' ? [] : ['sidePanel', 'scripting', 'activeTab'])],
    // End-to-end builds only (STORYLINE_E2E=1): headless Chromium cannot answer a permission
    // prompt, so the loopback feed servers the tests run are allowed up front.
    ...(process.env.STORYLINE_E2E === '1' && browser !== 'firefox' && { host_permissions: ['http://127.0.0.1/*'] }),
    // Feed sites are asked for one by one, from the click that adds the feed.
    ...(browser === 'firefox' ? { optional_permissions: ['http://*/*', 'https://*/*'] } : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    commands: {
      [browser === 'firefox' ? '_execute_browser_action' : '_execute_action']: {
        suggested_key: { default: 'Alt+Shift+S' },
        description: '__MSG_commandOpenPopup__',
      },
      // Firefox toggles the sidebar itself; Chrome's worker opens the side panel on this command.
      [browser === 'firefox' ? '_execute_sidebar_action' : 'open-side-panel']: {
        suggested_key: { default: 'Alt+Shift+L' },
        description: '__MSG_commandOpenSidePanel__',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'storyline@storyline.invalid',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
});
