import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization, OrganizationMember, User } from './account.entities';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { LoginAttempts } from './login-attempts';
import { OrganizationsService } from './organizations.service';
import { TokensService } from './tokens.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Organization, OrganizationMember]), JwtModule.register({})],
  providers: [AccountsRepository, AccountsService, OrganizationsService, TokensService, LoginAttempts],
  exports: [AccountsService, OrganizationsService],
})
export class AuthModule {}
