// First: take #token=<JWT> out of the address bar before anything else runs.
import './auth/capture-token';
// Second: ask the query app for the runtime configuration while the rest of the code evaluates.
import { runtimeConfig } from './app/runtime';
import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';

void runtimeConfig.then((runtime) => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App runtime={runtime} />
    </StrictMode>,
  );
});
