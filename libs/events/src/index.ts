export * from './catalogue';
export * from './streams';
export * from './metadata';
export * from './hash-chain';
export { decodeEvent, type DecodeResult } from './decode';
export { type Upcaster } from './upcasters';
