export * from './holiday-calendar';
export * from './working-days';
export * from './official-schedule';
