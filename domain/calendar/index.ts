export * from './holiday-calendar';
export * from './working-days';
export * from './official-schedule';
export * from './coverage';
export * from './schedule-file';
export * from './statutory-holidays';
export * from './provisional-schedule';
