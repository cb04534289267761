import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, RequestUnitOfWork, SealedAnswer } from '@sangam/platform';
import { BankCommandHandler } from '../bank.command-handler';
import { generateWebhookSecret, WebhookSecrets } from '../webhook-secrets';
import { RotatedSecretResponse, RotateWebhookSecretDto } from './rotate-webhook-secret.dto';
import { rotateWebhookSecret } from './rotate-webhook-secret.handler';

@ApiTags('banks')
@Controller('banks/:id/webhook-secret/rotation')
export class RotateWebhookSecretController {
  constructor(
    private readonly banks: BankCommandHandler,
    private readonly secrets: WebhookSecrets,
  ) {}

  @Post()
  @Policy([], inPath('bank'))
  @ApiBearerAuth()
  @SealedAnswer()
  @ApiCreatedResponse({ type: RotatedSecretResponse })
  async rotate(
    @Param('id') bankId: string,
    @Body() _body: RotateWebhookSecretDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<RotatedSecretResponse> {
    const webhookSecret = generateWebhookSecret();
    const command = { type: 'RotateWebhookSecret' as const, data: { bankId, rotatedAt: new Date().toISOString() }, metadata };
    await rotateWebhookSecret({ banks: this.banks, secrets: this.secrets }, unit, command, webhookSecret);
    return { webhookSecret };
  }
}
