import { Module } from '@nestjs/common';
import { AccountIndex } from './account-index';
import { AccountIndexRepository } from './account-index.repository';
import { TargetAccounts } from './target-accounts';

/** The job's GoTo accounts: matching through the account index, adoption, and the writes that converge an account. */
@Module({ providers: [AccountIndexRepository, AccountIndex, TargetAccounts], exports: [AccountIndex, TargetAccounts] })
export class AccountsModule {}
