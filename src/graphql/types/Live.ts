import { Field, ID, ObjectType } from 'type-graphql';
import { StoredImage } from './Image';

@ObjectType({ description: 'An image of the project was labelled (stored, or labelled again); the search index follows within moments.' })
export class ImageLabeledEvent {
  @Field()
  projectName!: string;

  @Field(() => ID)
  imageId!: string;

  @Field()
  labeledAt!: Date;

  @Field(() => StoredImage, { nullable: true, description: 'The image as stored now; null when it was deleted since.' })
  image?: StoredImage | null;
}
