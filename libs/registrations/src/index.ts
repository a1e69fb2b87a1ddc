export * from './registration-rules';
export * from './dto/registration.dto';
export * from './registrations.service';
export * from './registrations.module';
export * from './calendars.service';
export * from './favourites.service';
export * from './told-places';
