import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '@commerce/platform';
import { Reservation } from './reservation.entity';
import { heldUnits } from './reservation-rules';
import type { ReservationView } from './dto/reservation.dto';

/** The REST side: an order's reservation as the API shows it. */
@Injectable()
export class ReservationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** GET /reservations/:orderId */
  async findByOrder(orderId: string): Promise<ReservationView> {
    const reservation = await this.dataSource.getRepository(Reservation).findOne({
      where: { orderId },
      relations: { lines: true, commits: true },
      order: { lines: { lineNo: 'ASC' }, commits: { committedAt: 'ASC' } },
    });
    if (!reservation) throw new NotFoundError('Reservation for order', orderId);
    const lines = reservation.lines ?? [];
    return {
      reservationId: reservation.reservationId,
      orderId: reservation.orderId,
      status: reservation.status,
      totalMinor: reservation.totalMinor,
      currency: reservation.currency,
      requestedUnits: reservation.requestedUnits,
      heldUnits: heldUnits(lines),
      nodes: [...new Set(lines.map((line) => line.node))].sort(),
      lines: lines.map((line) => ({
        sku: line.sku,
        node: line.node,
        quantity: line.quantity,
        committedQuantity: line.committedQuantity,
        releasedQuantity: line.releasedQuantity,
      })),
      commits: (reservation.commits ?? []).map((commit) => ({
        shipmentId: commit.shipmentId,
        node: commit.node,
        units: commit.units,
        lines: commit.lines,
        committedAt: commit.committedAt.toISOString(),
      })),
      rejection: reservation.rejection,
      releaseReason: reservation.releaseReason,
      releasedAt: reservation.releasedAt?.toISOString() ?? null,
      createdAt: reservation.createdAt.toISOString(),
      updatedAt: reservation.updatedAt.toISOString(),
    };
  }
}
