import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization, OrganizationMember, User } from './account.entities';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { LoginAttempts } from './login-attempts';
import { OrganizationsService } from './organizations.service';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { PasswordResets } from './password-resets';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, Organization, OrganizationMember]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // A prepared key: given a string, jsonwebtoken first tries it as a public key on every call (~0.5 ms).
        const key = createSecretKey(Buffer.from(config.jwtSecret));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256', expiresIn: config.jwtTtlSeconds },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  providers: [
    AccountsRepository,
    AccountsService,
    OrganizationsService,
    UsersService,
    PasswordResets,
    TokensService,
    LoginAttempts,
  ],
  exports: [AccountsService, OrganizationsService, UsersService, PasswordResets],
})
export class AuthModule {}
