export * from './data';
export * from './framework';
export * from './mermaid';
export * from './markdown';
export * from './sarif';
export * from './write';
export * from './review';
export * from './review-comment';
