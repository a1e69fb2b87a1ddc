import { Injectable } from '@nestjs/common';
import { Actor } from '@pavilion/core';
import { ItemResponseDto, ItemReadsService } from '@pavilion/programmes';
import { FavouritesRepository } from './favourites.repository';

/** Items a person starred: any public item, registration or not; listed for them and put in their feed. */
@Injectable()
export class FavouritesService {
  constructor(
    private readonly repository: FavouritesRepository,
    private readonly items: ItemReadsService,
  ) {}

  /** Only items the person may see (a published programme's placed items): others are 404. */
  async add(itemId: string, actor: Actor): Promise<void> {
    await this.items.get(itemId, actor);
    await this.repository.add(actor.userId, itemId);
  }

  async remove(itemId: string, actor: Actor): Promise<void> {
    await this.items.get(itemId, actor);
    await this.repository.remove(actor.userId, itemId);
  }

  has(itemId: string, userId: string): Promise<boolean> {
    return this.repository.has(userId, itemId);
  }

  ids(userId: string): Promise<string[]> {
    return this.repository.itemIdsOf(userId);
  }

  async list(userId: string): Promise<ItemResponseDto[]> {
    return this.items.viewsByIds(await this.repository.itemIdsOf(userId));
  }
}
