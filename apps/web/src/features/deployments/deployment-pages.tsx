// The deployments chunk's pages (app.tsx loads them lazily, together).
export { DeploymentPage } from './deployment-page';
export { DeploymentsPage } from './deployments-page';
export { PromotePage } from './promote-page';
