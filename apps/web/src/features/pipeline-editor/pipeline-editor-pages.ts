// The routes of this feature, loaded together as one chunk (app.tsx).
export { EditJobPage, NewJobPage } from './job-editor-page';
export { EditSchedulePage, NewSchedulePage } from './schedule-editor-page';
