import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUrl, MaxLength } from 'class-validator';
import { PageQueryDto } from '@pavilion/core';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.org/pavilion-events' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;
}

export class WebhookResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({
    description: 'Shown once, at creation: verify signatures with it (Standard Webhooks)',
  })
  secret?: string;
}

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [String] }) channels!: string[];
}

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, default: 'failed' })
  @IsOptional()
  @IsIn(STATUSES)
  status: (typeof STATUSES)[number] = 'failed';
}

export class DeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() itemVersion!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) userId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) webhookId!: string | null;
  /** A speaker of the item, told by e-mail of its moves and cancellation. */
  @ApiPropertyOptional({ nullable: true, type: String }) speakerId!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
}
