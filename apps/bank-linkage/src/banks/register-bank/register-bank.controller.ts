import { randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { UnitOfWork } from '@sangam/event-store';
import { CommandMetadata, Policy, RequestUnitOfWork, SealedAnswer } from '@sangam/platform';
import { BankCommandHandler } from '../bank.command-handler';
import { generateWebhookSecret, WebhookSecrets } from '../webhook-secrets';
import { RegisterBankDto, RegisteredBankResponse } from './register-bank.dto';
import { registerBank } from './register-bank.handler';

@ApiTags('banks')
@Controller('banks')
export class RegisterBankController {
  constructor(
    private readonly banks: BankCommandHandler,
    private readonly secrets: WebhookSecrets,
  ) {}

  @Post()
  @Policy([])
  @ApiBearerAuth()
  @SealedAnswer()
  @ApiCreatedResponse({ type: RegisteredBankResponse })
  async register(
    @Body() body: RegisterBankDto,
    @CommandMetadata() metadata: CommandMetadata,
    @RequestUnitOfWork() unit: UnitOfWork,
  ): Promise<RegisteredBankResponse> {
    const bankId = randomUUID();
    const webhookSecret = generateWebhookSecret();
    const registeredAt = new Date().toISOString();
    const command = { type: 'RegisterBank' as const, data: { bankId, ...body, registeredAt }, metadata };
    await registerBank({ banks: this.banks, secrets: this.secrets }, unit, command, webhookSecret);
    return { id: bankId, webhookSecret };
  }
}
