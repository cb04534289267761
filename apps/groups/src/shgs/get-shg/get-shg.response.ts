import { ApiProperty } from '@nestjs/swagger';
import { MEMBER_ROLES, type MemberRole } from '@sangam/contracts';
import { toSafePaise } from '@sangam/money';
import type { FormedShg } from '../domain/shg.decider';

export class MemberView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiProperty({ type: 'integer', description: 'Her deposits less her withdrawals, paise' }) savings: number;
}

export class ShgView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() village: string;
  @ApiProperty({ format: 'date' }) formedOn: string;
  @ApiProperty({ type: [MemberView] }) members: MemberView[];
  @ApiProperty({
    type: 'integer',
    description: 'Free funds: deposits - withdrawals - pooledSavings - lentToMembers + interestEarned, paise',
  })
  savingsBalance: number;
  @ApiProperty({ type: 'integer', description: "Savings put into the network's common fund, paise" }) pooledSavings: number;
  @ApiProperty({ type: 'integer', description: 'Principal lent to members from the savings, not yet repaid, paise' }) lentToMembers: number;
  @ApiProperty({ type: 'integer', description: 'Interest received on loans from the savings, paise' }) interestEarned: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) networkId: string | null;
}

export const toShgView = (shg: FormedShg): ShgView => ({
  id: shg.id,
  name: shg.name,
  village: shg.village,
  formedOn: shg.formedOn,
  members: shg.members.map((m) => ({ id: m.id, name: m.name, role: m.role, savings: toSafePaise(m.savings) })),
  savingsBalance: toSafePaise(shg.savingsBalance),
  pooledSavings: toSafePaise(shg.pooledSavings),
  lentToMembers: toSafePaise(shg.lentToMembers),
  interestEarned: toSafePaise(shg.interestEarned),
  networkId: shg.networkId,
});
