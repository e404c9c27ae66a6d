import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { relative } from 'node:path';
import type { Request, Response } from 'express';
import { SES_CONFIG, type SesConfig } from '@ses/platform';
import { resolvePortalPath } from './portal-files';

export const PORTAL_DIR = Symbol('PORTAL_DIR');

/** What the portal learns at run time (GET /portal/config.json): where the command API is, and the OIDC client if one is configured. */
export interface PortalRuntimeConfig {
  commandUrl: string;
  /** The origin the command API accepts through CORS; the portal warns when opened from another. */
  portalOrigin: string;
  oidc: { authority: string; clientId: string; scope: string } | null;
}

/**
 * Serves the Analytics Portal (contract extensions README, "portal") at /portal/ and
 * redirects / there. Built files come from dist/portal (`npm run build`).
 */
@Controller()
export class PortalController {
  constructor(
    @Inject(SES_CONFIG) private readonly config: SesConfig,
    @Inject(PORTAL_DIR) private readonly dir: string,
  ) {}

  @Get()
  root(@Res() res: Response): void {
    res.redirect(302, '/portal/');
  }

  @Get('portal/config.json')
  runtimeConfig(@Req() req: Request, @Res() res: Response): void {
    const { portal, auth, commandPort } = this.config;
    const body: PortalRuntimeConfig = {
      commandUrl: portal.commandUrl ?? `${req.protocol}://${hostForUrl(req.hostname)}:${commandPort}/graphql`,
      portalOrigin: portal.origin,
      oidc: auth.issuer && portal.clientId ? { authority: auth.issuer, clientId: portal.clientId, scope: 'openid profile email' } : null,
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  }

  @Get('portal{/*path}')
  file(@Req() req: Request, @Res() res: Response): void {
    const answer = resolvePortalPath(this.dir, req.path);
    switch (answer.kind) {
      case 'redirect':
        res.redirect(301, answer.location);
        return;
      case 'not-built':
        res.status(404).type('text/plain').send('The portal is not built: run `npm run build` (npm start does).\n');
        return;
      case 'not-found':
        res.status(404).type('text/plain').send('Not found\n');
        return;
      case 'file':
        res.setHeader('Cache-Control', answer.cache === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        if (answer.path.endsWith('.html')) {
          res.setHeader('Content-Security-Policy', this.contentSecurityPolicy(req));
          res.setHeader('Referrer-Policy', 'no-referrer');
          res.setHeader('X-Frame-Options', 'DENY');
        }
        // Relative to the portal's directory, so that only the requested path is checked for dot files (the portal may live under e.g. ~/.local).
        res.sendFile(relative(this.dir, answer.path), { root: this.dir, dotfiles: 'deny', cacheControl: false });
    }
  }

  /** Scripts and styles from the portal itself; GraphQL to this app (HTTP and graphql-ws), the command API and the OIDC issuer. */
  private contentSecurityPolicy(req: Request): string {
    const connect = ["'self'", originOf(this.config.portal.commandUrl ?? `${req.protocol}://${hostForUrl(req.hostname)}:${this.config.commandPort}`)];
    if (this.config.auth.issuer) connect.push(originOf(this.config.auth.issuer));
    return [
      "default-src 'self'",
      "script-src 'self'",
      // Mantine sets CSS variables in style attributes and one <style> element.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src ${connect.filter(Boolean).join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ].join('; ');
  }
}

function hostForUrl(hostname: string): string {
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
