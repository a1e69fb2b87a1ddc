import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@pavilion/config';
import { dataSourceOptions } from './data-source';
import { RetryingDataSource } from './retrying-data-source';

@Module({})
export class DatabaseModule {
  /** One PostgreSQL connection pool per process; libs register their entities with `TypeOrmModule.forFeature`. */
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.databaseUrl, [], config.databaseConnectTimeoutMs),
            autoLoadEntities: true,
          }),
          // Transactions aborted by a deadlock or a serialization failure run again (RetryingDataSource).
          dataSourceFactory: (options) => new RetryingDataSource(options!).initialize(),
        }),
      ],
    };
  }
}
