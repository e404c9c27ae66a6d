export * from './catalogue';
export * from './streams';
export * from './metadata';
export * from './hash-chain';
export * from './upcasters';
