import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ACTION_DESCRIPTIONS, ApiAction } from '../../auth/actions';
import { PageInfo } from './PageInfo';

export { ApiAction };

registerEnumType(ApiAction, {
  name: 'ApiAction',
  description: 'What an API key may do (like IMM RAM actions).',
  valuesConfig: Object.fromEntries(Object.entries(ACTION_DESCRIPTIONS).map(([action, operations]) => [action, { description: `Allows ${operations}.` }])),
});

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(ApiKeyStatus, { name: 'ApiKeyStatus' });

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

  @Field(() => Float, { nullable: true, description: 'Requests per second allowed to this key; null: the server default (RATE_LIMIT_KEY_QPS).' })
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
export class ApiKeyEdge {
  @Field()
  cursor!: string;

  @Field(() => ApiKey)
  node!: ApiKey;
}

@ObjectType()
export class ApiKeyConnection {
  @Field(() => [ApiKeyEdge])
  edges!: ApiKeyEdge[];

  @Field(() => [ApiKey])
  nodes!: ApiKey[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "web frontend"; at most 128 characters.' })
  name!: string;

  @Field(() => [ApiAction])
  actions!: ApiAction[];

  @Field(() => [String], { nullable: true, description: 'The projects the key covers (they need not exist yet). Give this or allProjects.' })
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
