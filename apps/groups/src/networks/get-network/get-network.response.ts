import { ApiProperty } from '@nestjs/swagger';
import { toSafePaise } from '@sangam/money';
import { commonFund, type FormedNetwork } from '../domain/network.decider';

export class NetworkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() cluster: string;
  @ApiProperty({ type: 'integer', description: 'Fee per member SHG per year, paise' }) annualFee: number;
  @ApiProperty({ type: [String], description: 'Current member SHGs, in the order they joined' }) memberShgIds: string[];
  @ApiProperty({
    type: 'integer',
    description:
      'Fees paid + savings pooled by member SHGs, paise. Loans out of the fund and repayments into it are known to lending; the reporting dashboard shows the full balance.',
  })
  commonFund: number;
}

export const toNetworkView = (network: FormedNetwork): NetworkView => ({
  id: network.id,
  name: network.name,
  cluster: network.cluster,
  annualFee: network.annualFee,
  memberShgIds: network.memberShgIds,
  commonFund: toSafePaise(commonFund(network)),
});
