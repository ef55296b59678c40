export * from './orgs';
export * from './accounts';
export * from './platform';
export * from './campaigns';
export * from './children';
export * from './benefits';
export * from './funds';
export * from './activities';
