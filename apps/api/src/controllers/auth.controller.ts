import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AccountsService, AuthResponseDto, LoginDto, SignupDto } from '@pavilion/auth';
import { Access } from '../access/policy';

@ApiTags('accounts')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

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
}
