// First: take #token=<JWT> out of the address bar before anything else runs.
import './auth/capture-token';
import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadRuntimeConfig } from './app/runtime';

void loadRuntimeConfig().then((runtime) => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App runtime={runtime} />
    </StrictMode>,
  );
});
