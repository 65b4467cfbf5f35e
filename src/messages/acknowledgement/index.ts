/** Acknowledgement: build (and re-issue for duplicates), parse. */
export * from './builder.ts';
export * from './codes.ts';
export * from './parser.ts';
export * from './profiles.ts';
