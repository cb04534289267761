import { ApiProperty } from '@nestjs/swagger';

export class CheckpointView {
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty({ description: 'The next offset the projection will apply (its stored checkpoint)' }) offset: number;
  @ApiProperty({ description: "The partition's end offset" }) endOffset: number;
  @ApiProperty({ description: 'Events not yet applied' }) lag: number;
}

export class RebuildView {
  @ApiProperty({ description: 'The shadow generation being built' }) generation: number;
  @ApiProperty({ description: 'false when a replay was interrupted; running it again resumes' }) running: boolean;
  @ApiProperty() lag: number;
  @ApiProperty({ type: [CheckpointView] }) checkpoints: CheckpointView[];
}

export class DeadLetterView {
  @ApiProperty({ description: 'The event the projection could not apply; re-drive it (npm run dlq -- redrive) once its cause is fixed' })
  eventId: string;
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty() offset: number;
  @ApiProperty() error: string;
  @ApiProperty({ format: 'date-time' }) deadLetteredAt: string;
}

export class ProjectionView {
  @ApiProperty({ example: 'loan-book' }) name: string;
  @ApiProperty({
    enum: ['live', 'rebuilding', 'degraded'],
    description: 'degraded: the live generation dead-lettered an event and is wrong until it is re-driven and applied',
  })
  status: 'live' | 'rebuilding' | 'degraded';
  @ApiProperty({ description: 'The generation answering reads' }) generation: number;
  @ApiProperty({ description: 'Events of its topics the live generation has not applied yet' }) lag: number;
  @ApiProperty({ type: [CheckpointView] }) checkpoints: CheckpointView[];
  @ApiProperty({ type: RebuildView, nullable: true }) rebuild: RebuildView | null;
  @ApiProperty({ type: [DeadLetterView], description: 'Events the live generation skipped, not yet re-driven' })
  deadLetters: DeadLetterView[];
}
