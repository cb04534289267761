import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BANK_WEBHOOK_TYPES } from '@sangam/contracts';
import { Created, OwnTransactions, PublicRoute } from '@sangam/platform';
import { WebhookInbox } from './webhook-inbox';

const header = (request: Request, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** The raw-body parser (see BANK_LINKAGE_START_OPTIONS) leaves the exact bytes in request.body. */
const rawBody = (request: Request): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));

@ApiTags('bank webhooks')
@Controller('webhooks/banks/:bankId')
export class ReceiveBankWebhookController {
  constructor(private readonly inbox: WebhookInbox) {}

  @Post()
  @PublicRoute()
  @HttpCode(202)
  @OwnTransactions()
  @ApiHeader({ name: 'webhook-id', required: true, description: 'Unique per delivery; a repeated id is answered 200 and ignored' })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds; at most 5 minutes from our clock' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'Space-separated v1,<base64 HMAC-SHA256 of "id.timestamp.body">' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type', 'data'],
      properties: {
        type: { type: 'string', enum: [...BANK_WEBHOOK_TYPES] },
        data: {
          type: 'object',
          required: ['creditLineId', 'amount', 'valueDate', 'bankReference'],
          properties: {
            creditLineId: { type: 'string', format: 'uuid' },
            amount: { type: 'integer', minimum: 1, description: 'Paise' },
            valueDate: { type: 'string', format: 'date' },
            bankReference: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
  })
  @ApiAcceptedResponse({ type: Created, description: 'Stored; processed into credit-line events asynchronously' })
  @ApiOkResponse({ type: Created, description: 'This webhook-id was received before; nothing new recorded' })
  async receive(
    @Param('bankId') bankId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Created> {
    const delivery = {
      webhookId: header(request, 'webhook-id'),
      timestamp: header(request, 'webhook-timestamp'),
      signature: header(request, 'webhook-signature'),
      body: rawBody(request),
    };
    const { status, id } = await this.inbox.receive(bankId, delivery, new Date());
    response.status(status);
    return { id };
  }
}
