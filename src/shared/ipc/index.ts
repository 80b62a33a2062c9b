export * from './names';
export * from './models';
export * from './settings';
export * from './contract';
export * from './external-url';
