export * from './account.entities';
export * from './dto/account.dto';
export * from './accounts.service';
export * from './organizations.service';
export * from './auth.module';
export * from './unsubscribe';
export * from './admin-session';
export * from './users.service';
