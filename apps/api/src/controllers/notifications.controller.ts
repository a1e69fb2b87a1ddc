import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AccountsService } from '@pavilion/auth';
import { Actor, Page, PageQueryDto } from '@pavilion/core';
import {
  CreateWebhookDto,
  DeliveriesQueryDto,
  DeliveryDto,
  NotificationDto,
  DeliveryDeskService,
  InboxService,
  WebhookResponseDto,
} from '@pavilion/notifications';
import { Access, SignedInActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';
import { unsubscribeConfirmPage } from '../http/unsubscribe-page';

class UnsubscribeQuery {
  @ApiPropertyOptional() @IsString() @MaxLength(300) token!: string;
}

@ApiTags('notifications')
@Controller('api')
export class NotificationsController {
  constructor(
    private readonly inboxes: InboxService,
    private readonly desk: DeliveryDeskService,
    private readonly accounts: AccountsService,
  ) {}

  @Get('me/notifications')
  @Access.signedIn()
  inbox(@SignedInActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<NotificationDto>> {
    return this.inboxes.inbox(actor.userId, query.limit, query.cursor);
  }

  /**
   * The link at the foot of reminder emails and in their List-Unsubscribe header. A GET (a person following
   * the link, or a mail scanner) only shows a confirmation page; the change is a POST (RFC 8058 one-click:
   * mail clients send `List-Unsubscribe=One-Click`, the page's button sends the same).
   */
  @Get('notifications/unsubscribe')
  @Access.public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/html')
  async unsubscribePage(@Query() query: UnsubscribeQuery): Promise<string> {
    await this.accounts.unsubscribeSubject(query.token);
    return unsubscribeConfirmPage(query.token);
  }

  @Post('notifications/unsubscribe')
  @HttpCode(200)
  @Access.public()
  @Header('cache-control', 'no-store')
  async unsubscribe(@Query() query: UnsubscribeQuery): Promise<{ reminders: false }> {
    await this.accounts.unsubscribeReminders(query.token);
    return { reminders: false };
  }

  @Post('organizations/:id/webhooks')
  @Access.ownerOf('organization')
  @Header('cache-control', 'no-store')
  createWebhook(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreateWebhookDto,
  ): Promise<WebhookResponseDto> {
    return this.desk.createWebhook(id, dto.url);
  }

  @Get('organizations/:id/webhooks')
  @Access.ownerOf('organization')
  listWebhooks(@Param('id', UuidPipe) id: string): Promise<Page<WebhookResponseDto>> {
    return this.desk.listWebhooks(id);
  }

  @Delete('organizations/:id/webhooks/:webhookId')
  @HttpCode(204)
  @Access.ownerOf('organization')
  deleteWebhook(
    @Param('id', UuidPipe) id: string,
    @Param('webhookId', UuidPipe) webhookId: string,
  ): Promise<void> {
    return this.desk.deleteWebhook(id, webhookId);
  }

  @Get('admin/deliveries')
  @Access.admin()
  deliveries(@Query() query: DeliveriesQueryDto): Promise<Page<DeliveryDto>> {
    return this.desk.deliveries(query);
  }

  @Post('admin/deliveries/:id/retry')
  @HttpCode(202)
  @Access.admin()
  retry(@Param('id', UuidPipe) id: string): Promise<void> {
    return this.desk.retry(id);
  }
}
