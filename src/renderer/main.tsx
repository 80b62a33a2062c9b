// Base styles first: component stylesheets (imported through App) refine them at equal specificity.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppContext } from './state/app-context';
import { AppState } from './state/app-state';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html is missing the #root element');

// One AppState for the window's lifetime; it follows main's events from here on.
const app = new AppState(window.courier, { storage: window.localStorage });
window.addEventListener('pagehide', () => app.drafts.flush());
void app.start().catch((error: unknown) => console.error('Courier could not load its state', error));

createRoot(container).render(
  <StrictMode>
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
