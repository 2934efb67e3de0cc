import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ServiceConfig } from './config';
import { ruleCatalog } from './rules/catalog';

/** The validated configuration (inject with `@Inject(RECON_CONFIG)`). */
export const RECON_CONFIG = Symbol('RECON_CONFIG');
/** The rule catalog with the configured graces (`Rule[]`). */
export const RULE_CATALOG = Symbol('RULE_CATALOG');

@Global()
@Module({})
export class SettingsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: SettingsModule,
      providers: [
        { provide: RECON_CONFIG, useValue: config },
        { provide: RULE_CATALOG, useValue: ruleCatalog(config) },
      ],
      exports: [RECON_CONFIG, RULE_CATALOG],
    };
  }
}
