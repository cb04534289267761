import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { decideInTransaction, PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, inPath, Policy, SealedAnswer } from '@sangam/platform';
import { bankStream } from '../bank.stream';
import { bankDecider } from '../domain/bank.decider';
import { generateWebhookSecret, WebhookSecrets } from '../webhook-secrets';
import { RotatedSecretResponse, RotateWebhookSecretDto } from './rotate-webhook-secret.dto';

@ApiTags('banks')
@Controller('banks/:id/webhook-secret/rotation')
export class RotateWebhookSecretController {
  constructor(
    private readonly store: PostgresEventStore,
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
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<RotatedSecretResponse> {
    const webhookSecret = generateWebhookSecret();
    const command = { type: 'RotateWebhookSecret' as const, bankId, rotatedAt: new Date().toISOString() };
    await this.store.transaction(async (manager) => {
      const result = await decideInTransaction(this.store, manager, bankStream(bankId), bankDecider, () => command, metadata);
      const { rotatedAt, previousValidUntil } = result.events[0].data;
      await this.secrets.replace(manager, bankId, webhookSecret, rotatedAt, previousValidUntil);
      return result;
    });
    return { webhookSecret };
  }
}
