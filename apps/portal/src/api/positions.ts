/**
 * Read-your-writes (contract README, "Semantics"): every mutation returns `position`; the
 * portal sends the latest one it has seen as `x-ses-min-position` on every query and
 * subscription afterwards, so a page always shows its own writes.
 */
export class Positions {
  private latest: bigint | undefined;
  private readonly listeners = new Set<() => void>();

  note(position: string | null | undefined): void {
    if (!position || !/^\d{1,30}$/.test(position)) return;
    const value = BigInt(position);
    if (this.latest === undefined || value > this.latest) {
      this.latest = value;
      for (const listener of this.listeners) listener();
    }
  }

  get header(): Record<string, string> {
    return this.latest === undefined ? {} : { 'x-ses-min-position': this.latest.toString() };
  }

  get value(): string | undefined {
    return this.latest?.toString();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
