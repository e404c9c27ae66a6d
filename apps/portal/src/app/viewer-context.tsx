import { createContext, useContext } from 'react';
import type { Viewer } from './viewer';

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer (pages under RequireSession only). */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside RequireSession');
  return viewer;
}
