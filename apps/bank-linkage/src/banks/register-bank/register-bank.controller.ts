import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { decideInTransaction, PostgresEventStore, type EventMetadata } from '@sangam/event-store';
import { CommandMetadata, Policy, SealedAnswer } from '@sangam/platform';
import { bankStream } from '../bank.stream';
import { bankDecider } from '../domain/bank.decider';
import { generateWebhookSecret, WebhookSecrets } from '../webhook-secrets';
import { RegisterBankDto, RegisteredBankResponse } from './register-bank.dto';

@ApiTags('banks')
@Controller('banks')
export class RegisterBankController {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly secrets: WebhookSecrets,
  ) {}

  @Post()
  @Policy([])
  @ApiBearerAuth()
  @SealedAnswer()
  @ApiCreatedResponse({ type: RegisteredBankResponse })
  async register(@Body() body: RegisterBankDto, @CommandMetadata() metadata: EventMetadata): Promise<RegisteredBankResponse> {
    const bankId = randomUUID();
    const webhookSecret = generateWebhookSecret();
    const registeredAt = new Date().toISOString();
    await this.store.transaction(async (manager) => {
      const command = { type: 'RegisterBank' as const, bankId, ...body, registeredAt };
      const result = await decideInTransaction(this.store, manager, bankStream(bankId), bankDecider, () => command, metadata);
      await this.secrets.storeFirst(manager, bankId, webhookSecret, registeredAt);
      return result;
    });
    return { id: bankId, webhookSecret };
  }
}
