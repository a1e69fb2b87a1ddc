import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import {
  AccountsService,
  AuthResponseDto,
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  PasswordResets,
  SignupDto,
} from '@pavilion/auth';
import { AccountLetters } from '@pavilion/notifications';
import { Access } from '../access/policy';

@ApiTags('accounts')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly resets: PasswordResets,
    private readonly letters: AccountLetters,
  ) {}

  @Post('signup')
  @Access.public()
  @Header('cache-control', 'no-store')
  @UseGuards(ThrottlerGuard)
  signup(@Body() dto: SignupDto): Promise<AuthResponseDto> {
    return this.accounts.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @Access.public()
  @Header('cache-control', 'no-store')
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest): Promise<AuthResponseDto> {
    return this.accounts.login(dto, request.ip);
  }

  /** 202 whether or not the address has an account; the letter goes out after the answer. */
  @Post('password-reset')
  @HttpCode(202)
  @Access.public()
  @Header('cache-control', 'no-store')
  async requestPasswordReset(
    @Body() dto: PasswordResetRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<{ status: string }> {
    const issued = await this.resets.request(dto.email, request.ip);
    if (issued)
      void this.letters.sendPasswordReset({
        to: issued.user.email,
        displayName: issued.user.displayName,
        locale: issued.user.locale,
        token: issued.token,
        expiresAt: issued.expiresAt,
      });
    return { status: 'If an account has this email, a letter with a reset token is on its way' };
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Access.public()
  @Header('cache-control', 'no-store')
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.resets.confirm(dto.token, dto.password);
  }
}
