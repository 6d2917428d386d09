import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { ApiAction } from '../../auth/actions';
import { ApiKeyStatus } from '../../vocabulary';
import { Connection } from './Connection';
import './enums';

@ObjectType({ description: 'An API key, without its secret (shown once, by createApiKey).' })
export class ApiKey {
  @Field(() => ID, { description: 'Public id; the key itself reads lg_<id>_<secret>. Audit logs name keys by it.' })
  id!: string;

  @Field()
  name!: string;

  @Field(() => [ApiAction])
  actions!: ApiAction[];

  @Field(() => [String], { description: 'Projects the key covers; empty when allProjects.' })
  projectNames!: string[];

  @Field()
  allProjects!: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'Requests per second allowed to this key; null: the server default (RATE_LIMIT_KEY_QPS).',
  })
  queriesPerSecond!: number | null;

  @Field(() => ApiKeyStatus)
  status!: ApiKeyStatus;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Within a minute.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Null for the admin key.' })
  createdAt!: Date | null;
}

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey, { edge: 'ApiKeyEdge' }) {}

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "web frontend"; at most 128 characters.' })
  name!: string;

  @Field(() => [ApiAction])
  actions!: ApiAction[];

  @Field(() => [String], {
    nullable: true,
    description: 'The projects the key covers (they need not exist yet). Give this or allProjects.',
  })
  projectNames?: string[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  allProjects?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null: never.' })
  expiresAt?: Date | null;

  @Field(() => Float, { nullable: true, description: 'Requests per second for this key; null: the server default.' })
  queriesPerSecond?: number | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The whole key (lg_<id>_<secret>). It is shown only now: store it; the server keeps only a hash.' })
  key!: string;
}
