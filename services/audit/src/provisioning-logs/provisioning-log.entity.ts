import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One step of one change, as Roster's provisioning (activity) log shows it. */
@Entity({ name: 'provisioning_log' })
@Index('provisioning_log_newest_first', ['occurredAt', 'id'])
export class ProvisioningLogEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  service!: string;

  @Column({ name: 'provisioning_job_id', type: 'text' })
  provisioningJobId!: string;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId!: string | null;

  @Column({ name: 'source_display_name', type: 'text', nullable: true })
  sourceDisplayName!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ name: 'target_user_name', type: 'text', nullable: true })
  targetUserName!: string | null;

  @Column({ type: 'int', nullable: true })
  attempt!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: object | null;
}
