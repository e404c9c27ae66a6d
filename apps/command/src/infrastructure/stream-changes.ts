/**
 * Someone who reads every event of the log in position order and tells listeners what it
 * read (the command index, LogIndex). Positions are in commit order, so a pass that starts
 * after a moment reads everything appended before it.
 */
export interface StreamChanges {
  /** Names "now". */
  ticket(): number;
  /** Settles once every event appended before `ticket` was taken has been told to the listeners (as changed, or passed over as skipped). */
  since(ticket: number): Promise<void>;
  listen(listener: StreamChangeListener): void;
}

export interface StreamChangeListener {
  /** An event of `streamId` at `revision` was read. */
  changed(streamId: string, revision: bigint): void;
  /** Events were passed over unread (another process indexed them): any stream may have changed. */
  skipped(): void;
}
