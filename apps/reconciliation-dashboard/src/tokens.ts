/** The validated configuration, provided by AppModule.forRoot. */
export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');
