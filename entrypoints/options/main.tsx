import { render } from 'preact';
import { Options } from '../../src/ui/options/Options';
import { loadSettings, saveSettings, watchSettings } from '../../src/settings/store';
import '../../src/ui/theme.css';
import '../../src/ui/options/options.css';

render(
  <Options load={loadSettings} save={saveSettings} watch={watchSettings} />,
  document.getElementById('app')!,
);
