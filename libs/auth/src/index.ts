export * from './principal';
export * from './token-verifier';
export * from './token-issuer';
export * from './signing-key';
export * from './signed-documents';
export * from './webhook-signature';
