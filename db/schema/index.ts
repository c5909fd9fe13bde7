// Every table Hearth stores, one file per area. Later areas add a file and a line here.
export * from './users.ts';
export * from './system.ts';
export * from './page-feedback.ts';
export * from './auth.ts';
export * from './training.ts';
export * from './mentoring.ts';
export * from './notifications.ts';
export * from './surveys.ts';
export * from './discussions.ts';
export * from './metrics.ts';
