import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationView } from './notification-view';
import { type NotificationsPage, NotificationsQueryService } from './notifications-query.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Notifications, newest first, cursor-paged (filter by orderId, kind, status)' })
  list(@Query() query: ListNotificationsQuery): Promise<NotificationsPage> {
    return this.notifications.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification' })
  @ApiOkResponse({ type: NotificationView })
  get(@Param('id') id: string): Promise<NotificationView> {
    return this.notifications.get(id);
  }
}
