/** HospitalNotification: build, parse, and follow a stay. */
export * from './builder.ts';
export * from './codes.ts';
export * from './episode-of-care.ts';
export * from './notification.ts';
export * from './parser.ts';
export * from './profiles.ts';
export * from './requests.ts';
export * from './stay-state.ts';
export * from './transitions.ts';
