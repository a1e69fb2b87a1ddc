import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AccountsService } from '@pavilion/auth';
import { AppConfig } from '@pavilion/config';

/** The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD, created once and never overwritten. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.admin) return;
    const outcome = await this.accounts.ensureAdmin(this.config.admin.email, this.config.admin.password);
    if (outcome === 'created') this.logger.log(`Created admin ${this.config.admin.email}`);
  }
}
