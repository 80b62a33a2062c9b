export * from './limits';
export * from './codes';
export * from './primitives';
export * from './entities';
export * from './requests';
export * from './events';
export * from './codec';
export * from './http';
