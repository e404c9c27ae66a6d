import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_CHROMIUM } from '../../../bench/portal/chromium';

export { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../../../bench/portal/chromium';

/** `describe` for suites that need Chromium: where it is missing, ONE printed line says how to install it, and the suite is skipped. */
export function describeWithChromium(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body);
    return;
  }
  process.stdout.write(`[skip] ${name}: no Chromium at ${CHROMIUM_PATH}; install it with \`${INSTALL_CHROMIUM}\` (as root) to run the browser tests\n`);
  describe.skip(`${name} [skipped: no Chromium]`, body);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core in the page (WCAG 2 A/AA rules and best practices) and returns the
 * serious and critical violations. Injected through the DevTools protocol, so the
 * portal's Content-Security-Policy stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe: { run: (context: Document, options: object) => Promise<{ violations: any[] }> } = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n: { target: string[] }) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** With SES_PORTAL_SCREENSHOTS=<dir>, saves a PNG of the page there (README screenshots); otherwise does nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SES_PORTAL_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** Polls `probe` until it returns a value other than undefined/false (a condition awaited, never a fixed sleep). */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
