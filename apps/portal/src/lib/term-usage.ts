import type { TermUsageRow } from '../api/documents';

/** Term license usage of one product so far in the quarter. */
export interface QuarterFigures {
  peakInUse: number;
  maxOverage: number;
  overageDays: number;
  peakDay: string | null;
}

export function quarterFigures(rows: readonly TermUsageRow[], productId: string): QuarterFigures {
  let figures: QuarterFigures = { peakInUse: 0, maxOverage: 0, overageDays: 0, peakDay: null };
  for (const row of rows) {
    if (row.productId !== productId) continue;
    if (row.peakInUse > figures.peakInUse) figures = { ...figures, peakInUse: row.peakInUse, peakDay: row.day };
    figures.maxOverage = Math.max(figures.maxOverage, row.overage);
    if (row.overage > 0) figures.overageDays += 1;
  }
  return figures;
}

export interface ProductQuarter {
  productId: string;
  productName: string;
  seats: number;
  peakInUse: number;
  peakDay: string | null;
  overage: number;
  overageDays: number;
}

export function summarizeQuarter(
  rows: readonly TermUsageRow[],
  products: readonly { productId: string; productName: string; seats: number }[],
): ProductQuarter[] {
  const byId = new Map<string, ProductQuarter>(
    products.map((p) => [
      p.productId,
      { productId: p.productId, productName: p.productName, seats: 0, peakInUse: 0, peakDay: null, overage: 0, overageDays: 0 },
    ]),
  );
  for (const row of rows) {
    const entry = byId.get(row.productId) ?? {
      productId: row.productId,
      productName: row.productId,
      seats: 0,
      peakInUse: 0,
      peakDay: null,
      overage: 0,
      overageDays: 0,
    };
    // The peak is the day with the most seats in use (the first such day); overage is the most seats over, on any day.
    if (entry.peakDay === null || row.peakInUse > entry.peakInUse || (row.peakInUse === entry.peakInUse && row.day < entry.peakDay)) {
      entry.peakInUse = row.peakInUse;
      entry.peakDay = row.day;
    }
    entry.seats = Math.max(entry.seats, row.seats);
    entry.overage = Math.max(entry.overage, row.overage);
    if (row.overage > 0) entry.overageDays += 1;
    byId.set(row.productId, entry);
  }
  for (const [id, entry] of byId) if (entry.seats === 0) entry.seats = products.find((p) => p.productId === id)?.seats ?? 0;
  return [...byId.values()].sort((a, b) => b.overage - a.overage || a.productName.localeCompare(b.productName));
}
